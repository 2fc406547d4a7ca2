// jyyz 安装命令（jyyz install --wps）会改写本文件，写入本机 jyyz 服务发现文件的位置。
// 为 null 时按默认位置查找（见 service.js 的 discoveryPath）。
var JYYZ_CONFIG = {"discovery": null};
